// Public entry of in-plane registration: phase correlation with its confidence,
// drift within a stack (matches at several distances, robust least-squares path,
// significance test), offsets across channels, translation with a common crop.
export { phaseCorrelationShift, imageSpectrum, shiftBetweenSpectra, DEFAULT_UPSAMPLE } from './phase-correlation';
export type { ImageArray, PixelRegion, CorrelationWindow, PhaseCorrelationOptions, ShiftEstimate, ImageSpectrum } from './phase-correlation';
export { matchSpectra } from './phase-correlation-confidence';
export type { PairMatch } from './phase-correlation-confidence';
export { registerWithinStack, DEFAULT_DISTANCES } from './register-stack';
export type { RegistrationOptions, StackRegistration, StackMatch } from './register-stack';
export { registerAcrossChannels, composeTranslations } from './register-channels';
export type { ChannelRegistration, ChannelMatch } from './register-channels';
export { fitDriftPath } from './drift-path';
export type { DriftPair, DriftPath } from './drift-path';
export { driftSignificance, sliceConfidence } from './drift-significance';
export type { DriftSignificance, SliceConfidence } from './drift-significance';
export { applyTranslations, commonValidCrop, wholePixelShifts } from './translate-slices';
export type { Translation, Interpolation, ApplyTranslationsOptions, TranslatedStack } from './translate-slices';
