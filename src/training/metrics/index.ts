// Classification metrics (scikit-learn semantics), the classification report and its table, the confusion matrix and its SVG.
export { accuracyScore, confusionMatrix, normalizeMatrix, type ConfusionMatrixOptions } from "./confusion-matrix.js";
export {
  precisionRecallFscoreSupport,
  precisionScore,
  recallScore,
  f1Score,
  fbetaScore,
  nanAverage,
  type Average,
  type AverageOption,
  type AveragedScores,
  type PerClassScores,
  type PrfOptions,
} from "./precision-recall-f.js";
export {
  classificationReport,
  formatMetricsTable,
  formatFixed,
  type ClassificationReport,
  type ClassReportRow,
  type ReportOptions,
  type ReportRow,
} from "./classification-report.js";
export { confusionMatrixSvg, type ConfusionMatrixSvgOptions } from "./confusion-matrix-svg.js";
export { escapeXml } from "../../util/escape-xml.js";
export { sequentialColor, textColorFor, contrastRatio, relativeLuminance, toHex, type Rgb } from "./color-scale.js";
export { argmaxRows } from "./predictions.js";
export type { ClassIds, LabelSetOptions } from "./label-arrays.js";
