// Synthetic milling: slice thicknesses from a gamma distribution, ruler markers
// that encode them in the images, and an Auto Slice & View-like project file.
export { gammaDeviate, gammaFromMeanSd } from './gamma';
export { planMilling, planesNeeded, DEFAULT_MILLING, type MillingParams, type MillingPlan } from './slice-thickness';
export { defaultRulerGeometry, rulerMarkerCentresNm, rulerBandSignal, findMarkerCentresPx, rulerThicknessNm, type RulerGeometry } from './ruler';
export { asvMeasuredThicknessNm, asvProjectDataXml, DEFAULT_ASV_ERRORS, type AsvErrorModel } from './asv-project-data';
