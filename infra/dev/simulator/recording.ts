/** 8 kHz, 8-bit mono PCM: small, and every browser's <audio> plays it. */
const SAMPLE_RATE = 8000;
/** Long enough to hear, short enough to keep tests' responses small. */
const MAX_SECONDS = 3;

/** A WAV of a quiet 440 Hz tone standing in for a conversation's recording. */
export function recordingOf(durationSecs: number): Buffer {
  const samples = SAMPLE_RATE * Math.max(1, Math.min(MAX_SECONDS, Math.round(durationSecs)));
  const wav = Buffer.alloc(44 + samples);
  wav.write('RIFF', 0);
  wav.writeUInt32LE(36 + samples, 4);
  wav.write('WAVEfmt ', 8);
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(SAMPLE_RATE, 24);
  wav.writeUInt32LE(SAMPLE_RATE, 28); // byte rate
  wav.writeUInt16LE(1, 32); // block align
  wav.writeUInt16LE(8, 34); // bits per sample
  wav.write('data', 36);
  wav.writeUInt32LE(samples, 40);
  for (let i = 0; i < samples; i++) {
    wav.writeUInt8(128 + Math.round(20 * Math.sin((2 * Math.PI * 440 * i) / SAMPLE_RATE)), 44 + i);
  }
  return wav;
}
