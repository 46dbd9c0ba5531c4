// TensorBoard event files written by the Trainer (reportTo: ["tensorboard"]).
export { crc32c, maskedCrc32c } from "./crc32c.js";
export { tfRecord } from "./tfrecord.js";
export { encodeEvent, type EventBody, type SummaryValue } from "./event-proto.js";
export { EventFileWriter, EVENT_FILE_PREFIX, FILE_VERSION, type EventFileOptions } from "./event-file-writer.js";
export { TensorBoardReporter, defaultLoggingDir, tensorboardScalars, tensorboardTag, type TensorBoardStart } from "./tensorboard-reporter.js";
