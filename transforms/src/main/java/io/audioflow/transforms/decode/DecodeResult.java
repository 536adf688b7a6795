package io.audioflow.transforms.decode;

/**
 * What one decode pass produced.
 *
 * @param frames samples per channel delivered to the listener
 * @param corruptPackets packets the demuxer or codec rejected as invalid data (CRC errors, undecodable frames)
 * @param firstCorruption FFmpeg's description of the first rejection, with its position; null when none
 * @param sha256 SHA-256 of the file's bytes, hex
 * @param bytesRead bytes pulled from the channel, including re-reads after seeks
 */
public record DecodeResult(
    long frames, int corruptPackets, String firstCorruption, String sha256, long bytesRead) {}
