import { writeEventsDoc } from '../events/docs';
import { installedProviders } from '../installed';

/** `npm run docs:events`: writes docs/events.md (or the path given) from this build's catalogue. */
const path = writeEventsDoc(installedProviders, process.argv[2]);
process.stdout.write(`wrote ${path}\n`);
