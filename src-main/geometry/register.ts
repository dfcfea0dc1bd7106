// Public entry of in-plane registration: phase correlation, stack and channel
// registration, translation with a common crop.
export { phaseCorrelationShift, imageSpectrum, shiftBetweenSpectra, DEFAULT_UPSAMPLE } from './phase-correlation';
export type { ImageArray, PixelRegion, CorrelationWindow, PhaseCorrelationOptions, ShiftEstimate, ImageSpectrum } from './phase-correlation';
export { registerWithinStack, registerAcrossChannels, composeTranslations } from './register-stack';
export type { RegistrationOptions, StackRegistration, ChannelRegistration } from './register-stack';
export { applyTranslations, commonValidCrop } from './translate-slices';
export type { Translation, Interpolation, ApplyTranslationsOptions, TranslatedStack } from './translate-slices';
