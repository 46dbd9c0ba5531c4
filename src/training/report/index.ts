// HTML reports with inline SVG charts: training_report.html and `audioclass evaluate --report`.
export { axisScale, logAxisScale, formatTick, type AxisScale } from "./axis-scale.js";
export { lineChartSvg, SERIES_COLORS, type ChartSeries, type LineChartOptions } from "./line-chart-svg.js";
export { htmlPage, htmlTable, formatNumber, escapeHtml } from "./html-page.js";
export { trainingReportHtml, perClassTable, TRAINING_REPORT_FILE, type TrainingReportInput, type ReportedEvaluation, type TrainingStatus } from "./training-report.js";
export { evaluationReportHtml, type EvaluationReportInput } from "./evaluation-report.js";
export { writeReport, writeReportSync } from "./write-report.js";
