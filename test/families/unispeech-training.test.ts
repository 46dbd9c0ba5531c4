// UniSpeech / UniSpeechSat: fine-tuning, saved folders, .bin twins and ONNX exports.
import { checkpointFormatTests, fineTuneTest } from "./family-training.js";

for (const model of ["unispeech", "unispeech-sat"]) {
  fineTuneTest(model);
  checkpointFormatTests(model);
}
