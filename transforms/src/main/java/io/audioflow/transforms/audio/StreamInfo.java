package io.audioflow.transforms.audio;

/**
 * What the container and codec say about the audio stream, before decoding.
 *
 * @param container FFmpeg's demuxer name (e.g. {@code wav}, {@code mov,mp4,m4a,3gp,3g2,mj2})
 * @param codec FFmpeg's codec name (e.g. {@code pcm_s16le}, {@code mp3})
 * @param channelMask FFmpeg channel-layout bit mask ({@code AV_CH_*}), 0 when the layout is not a native one
 * @param declaredFrames samples per channel the header declares, or null when it declares none; never trusted to
 *     size anything, only compared with what decodes
 * @param lossless whether the codec reproduces the encoded samples exactly (PCM, FLAC, ALAC, ...)
 */
public record StreamInfo(
    String container,
    String codec,
    int sampleRate,
    int channels,
    long channelMask,
    Long declaredFrames,
    boolean lossless) {}
