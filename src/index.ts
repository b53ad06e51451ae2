/** The action's entry point: ncc bundles this file into dist/index.js. */
import { run } from './main.js';

void run();
