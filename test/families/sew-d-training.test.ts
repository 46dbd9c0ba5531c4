// SEW-D: fine-tuning, saved folders, .bin twins and ONNX exports.
import { checkpointFormatTests, fineTuneTest } from "./family-training.js";

fineTuneTest("sew-d");
checkpointFormatTests("sew-d");
