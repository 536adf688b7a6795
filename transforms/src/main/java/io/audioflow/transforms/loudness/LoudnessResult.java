package io.audioflow.transforms.loudness;

/**
 * One signal's ITU-R BS.1770-4 / EBU R128 figures. A figure is null where the measure is undefined for the signal.
 *
 * @param integratedLufs gated integrated loudness (LUFS); null when no 400 ms block passes the absolute and
 *     relative gates, including input shorter than one block
 * @param loudnessRangeLu EBU Tech 3342 loudness range (LU); null when no 3 s short-term block passes its gates
 * @param truePeakDbtp maximum over channels of the oversampled peak (dBTP); null when every sample is 0
 * @param samplePeakDbfs {@code 20*log10(max |x|)} over channels (dBFS); null when every sample is 0
 * @param tooShort the input is shorter than one 400 ms gating block, so no integrated loudness can exist
 */
public record LoudnessResult(
    Double integratedLufs,
    Double loudnessRangeLu,
    Double truePeakDbtp,
    Double samplePeakDbfs,
    boolean tooShort) {}
