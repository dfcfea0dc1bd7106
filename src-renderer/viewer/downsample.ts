// The viewer's downsampled levels live in src-shared (the main process uses them too).
export * from '../../src-shared/downsample';
