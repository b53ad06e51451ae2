/**
 * The one door to the Actions log: every line, annotation and group title passes through
 * `inert`, so text from the API or the inputs can neither start nor hide a workflow command.
 * Nothing else calls core.info, core.warning and the like (eslint holds that).
 */
import * as core from '@actions/core';
import { inert } from '../values/text.js';

/** Long enough for a fleet's verdict line; anything longer is cut with an ellipsis. */
const MAX_LINE = 2000;
/** Debug lines carry the settings as JSON. */
const MAX_DEBUG_LINE = 8000;

export interface Annotation {
  readonly title: string;
}

let grouped = false;

export const log = {
  info: (line: string): void => {
    core.info(inert(line, MAX_LINE));
  },
  debug: (line: string): void => {
    core.debug(inert(line, MAX_DEBUG_LINE));
  },
  notice: (message: string, annotation: Annotation): void => {
    core.notice(inert(message, MAX_LINE), { title: inert(annotation.title, 200) });
  },
  warning: (message: string, annotation: Annotation): void => {
    core.warning(inert(message, MAX_LINE), { title: inert(annotation.title, 200) });
  },
  error: (message: string, annotation: Annotation): void => {
    core.error(inert(message, MAX_LINE), { title: inert(annotation.title, 200) });
  },
  /** Folds the lines `body` logs; one group at a time (only a lone agent gets one). */
  group: async <T>(title: string, body: () => Promise<T>): Promise<T> => {
    core.startGroup(inert(title, MAX_LINE));
    grouped = true;
    try {
      return await body();
    } finally {
      log.endGroup();
    }
  },
  /** Ends the open group, if any: work that step-timeout cut short must not fold the verdict away. */
  endGroup: (): void => {
    if (grouped) core.endGroup();
    grouped = false;
  },
  /** Fails the step with its one error annotation. */
  fail: (message: string): void => {
    core.setFailed(inert(message, MAX_LINE));
  },
  /** Masks a secret in everything the runner shows from now on. */
  mask: (secret: string): void => {
    core.setSecret(secret);
  }
};
