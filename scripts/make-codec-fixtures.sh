#!/usr/bin/env bash
# Regenerates test/fixtures/audio/: short synthetic clips in every format the audio layer reads,
# plus a few it refuses. Deterministic formulas (no noise sources), so re-running with the same
# ffmpeg (5.1, Debian 12) gives the same files. Needs ffmpeg (with libmp3lame, libvorbis,
# libopus) and python3 (for the hand-crafted WAVs ffmpeg cannot write).
#   scripts/make-codec-fixtures.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=test/fixtures/audio
mkdir -p "$out"
# Bit-exact mode: fixed Ogg serial numbers, no encoder version strings.
ff() { ffmpeg -hide_banner -loglevel error -nostdin -y "${@:1:$#-1}" -fflags +bitexact -flags:a +bitexact "${@: -1}"; }

# Sources. Mono: two partials and a decaying upper tone; stereo: a chirp left, a chord right.
mono="aevalsrc=exprs=0.5*sin(2*PI*440*t)+0.2*sin(2*PI*1234*t)*exp(-3*t)+0.05*sin(2*PI*3000*t)"
left="0.4*sin(2*PI*(200+1800*t)*t)"
right="0.3*sin(2*PI*330*t)+0.2*sin(2*PI*495*t)+0.1*sin(2*PI*2640*t)"
stereo="aevalsrc=exprs=${left}|${right}"
surround="aevalsrc=exprs=0.3*sin(2*PI*300*t)|0.3*sin(2*PI*350*t)|0.5*sin(2*PI*400*t)|0.8*sin(2*PI*60*t)|0.2*sin(2*PI*700*t)|0.25*sin(2*PI*900*t)"

# MP3: MPEG-2 Layer III mono with an ID3v2 tag; MPEG-1 Layer III stereo without one. Both carry
# a LAME/Xing header (gapless trimming).
ff -f lavfi -i "${mono}:s=22050:d=0.5" -c:a libmp3lame -b:a 32k -metadata title="audioclass test" "$out/mp3-mono-22050.mp3"
ff -f lavfi -i "${stereo}:s=44100:d=0.5" -c:a libmp3lame -b:a 96k -write_id3v2 0 "$out/mp3-stereo-44100.mp3"
# MP2 (Layer II): recognised, refused by the built-in decoder.
ff -f lavfi -i "${mono}:s=32000:d=0.1" -c:a mp2 -b:a 64k "$out/mp2-mono-32000.mp2"

# FLAC 16-bit mono, 24-bit stereo, 16-bit 5.1 (FLAC's fixed channel order), FLAC in Ogg.
ff -f lavfi -i "${mono}:s=44100:d=0.3" -c:a flac -sample_fmt s16 "$out/flac-mono-16bit-44100.flac"
ff -f lavfi -i "${stereo}:s=48000:d=0.25" -c:a flac -sample_fmt s32 "$out/flac-stereo-24bit-48000.flac"
ff -f lavfi -i "${surround}:s=8000:d=0.1" -channel_layout 5.1 -c:a flac -sample_fmt s16 "$out/flac-5.1-16bit-8000.flac"
ff -f lavfi -i "${stereo}:s=16000:d=0.25" -c:a flac -sample_fmt s16 -f ogg "$out/ogg-flac-stereo-16000.oga"

# Ogg Vorbis and Ogg Opus.
ff -f lavfi -i "${stereo}:s=44100:d=0.5" -c:a libvorbis -q:a 2 "$out/ogg-vorbis-stereo-44100.ogg"
ff -f lavfi -i "${mono}:s=16000:d=0.5" -c:a libvorbis -q:a 0 "$out/ogg-vorbis-mono-16000.ogg"
ff -f lavfi -i "${mono}:s=48000:d=0.5" -c:a libopus -b:a 32k "$out/ogg-opus-mono-48000.opus"
ff -f lavfi -i "${stereo}:s=48000:d=0.5" -c:a libopus -b:a 48k "$out/ogg-opus-stereo-48000.opus"

# Formats only ffmpeg reads: AAC in MP4, Opus in WebM.
ff -f lavfi -i "${stereo}:s=44100:d=0.3" -c:a aac -b:a 64k "$out/aac-stereo-44100.m4a"
ff -f lavfi -i "${mono}:s=48000:d=0.3" -c:a libopus -b:a 24k "$out/opus-mono-48000.webm"

# WAV written by ffmpeg: 8-bit unsigned, 24-bit and 32-bit int and float64 (ffmpeg writes
# WAVE_FORMAT_EXTENSIBLE for samples over 16 bits), 5.1 with a channel mask, A-law, µ-law,
# RF64, and a streamed WAV (written to a pipe: both sizes 0xFFFFFFFF).
ff -f lavfi -i "${mono}:s=8000:d=0.25" -c:a pcm_u8 "$out/wav-u8-mono-8000.wav"
ff -f lavfi -i "${stereo}:s=48000:d=0.1" -c:a pcm_s24le "$out/wav-s24-stereo-48000-extensible.wav"
ff -f lavfi -i "${mono}:s=16000:d=0.1" -c:a pcm_s32le "$out/wav-s32-mono-16000-extensible.wav"
ff -f lavfi -i "${stereo}:s=8000:d=0.1" -c:a pcm_f64le "$out/wav-f64-stereo-8000-extensible.wav"
ff -f lavfi -i "${surround}:s=8000:d=0.1" -channel_layout 5.1 -c:a pcm_s16le "$out/wav-s16-5.1-8000-extensible.wav"
ff -f lavfi -i "${mono}:s=8000:d=0.1" -c:a pcm_alaw "$out/wav-alaw-mono-8000.wav"
ff -f lavfi -i "${mono}:s=8000:d=0.1" -c:a pcm_mulaw "$out/wav-mulaw-mono-8000.wav"
ff -f lavfi -i "${stereo}:s=8000:d=0.1" -c:a pcm_s16le -rf64 always "$out/wav-s16-stereo-8000-rf64.wav"
ff -f lavfi -i "${mono}:s=8000:d=0.1" -c:a pcm_s16le -f wav pipe:1 > "$out/wav-s16-mono-8000-streamed.wav"

# Hand-crafted WAVs (python3): odd-sized and unknown chunks with pad bytes, plain (not
# EXTENSIBLE) 24-bit, big-endian RIFX, and every A-law/µ-law code.
python3 - "$out" <<'PY'
import math, struct, sys
out = sys.argv[1]

def chunk(cid, body):
    return cid + struct.pack("<I", len(body)) + body + (b"\0" if len(body) % 2 else b"")

def riff(chunks, magic=b"RIFF", endian="<"):
    body = b"WAVE" + b"".join(chunks)
    return magic + struct.pack(endian + "I", len(body)) + body

def fmt(tag, channels, rate, bits, endian="<"):
    align = channels * ((bits + 7) // 8)
    return struct.pack(endian + "HHIIHH", tag, channels, rate, rate * align, align, bits)

def tone(n, rate, f, amp):
    return [amp * math.sin(2 * math.pi * f * i / rate) for i in range(n)]

rate, n = 8000, 800
mono16 = struct.pack("<%dh" % n, *[round(x * 32767) for x in tone(n, rate, 440, 0.6)])
odd = riff([
    chunk(b"fmt ", fmt(1, 1, rate, 16)),
    chunk(b"fact", struct.pack("<I", n)),
    chunk(b"abc ", b"xyz"),                        # unknown chunk, odd size, pad byte follows
    chunk(b"LIST", b"INFO" + chunk(b"ISFT", b"audioclass\0")),
    chunk(b"data", mono16),
    chunk(b"id3 ", b"trailing chunk after the samples"),
])
open(f"{out}/wav-s16-mono-8000-odd-chunks.wav", "wb").write(odd)

left, right = tone(n, rate, 300, 0.7), tone(n, rate, 500, 0.4)
frames24 = b"".join(struct.pack("<i", round(l * 8388607))[:3] + struct.pack("<i", round(r * 8388607))[:3] for l, r in zip(left, right))
open(f"{out}/wav-s24-stereo-8000-plain.wav", "wb").write(riff([chunk(b"fmt ", fmt(1, 2, rate, 24)), chunk(b"data", frames24)]))

be16 = struct.pack(">%dh" % n, *[round(x * 32767) for x in tone(n, rate, 440, 0.6)])
rifx = riff([chunk(b"fmt ", fmt(1, 1, rate, 16, ">")).replace(struct.pack("<I", 16), struct.pack(">I", 16), 1),
             b"data" + struct.pack(">I", len(be16)) + be16], magic=b"RIFX", endian=">")
open(f"{out}/wav-s16be-mono-8000-rifx.wav", "wb").write(rifx)

codes = bytes(range(256))
open(f"{out}/wav-alaw-all-codes.wav", "wb").write(riff([chunk(b"fmt ", fmt(6, 1, rate, 8)), chunk(b"data", codes)]))
open(f"{out}/wav-mulaw-all-codes.wav", "wb").write(riff([chunk(b"fmt ", fmt(7, 1, rate, 8)), chunk(b"data", codes)]))
PY
# 24-bit FLAC at full scale (±2^23 region), where recovering the integers from the FLAC
# package's float output is hardest.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp/extremes.wav" <<'PY'
import struct, sys
values = list(range(-8388608, -8388608 + 1024)) + list(range(8388607 - 1023, 8388608)) + [(-1) ** i * (8388607 - 7 * i) for i in range(2048)]
data = b"".join(struct.pack("<i", v)[:3] for v in values)
fmt = struct.pack("<HHIIHH", 1, 1, 8000, 8000 * 3, 3, 24)
body = b"WAVE" + b"fmt " + struct.pack("<I", 16) + fmt + b"data" + struct.pack("<I", len(data)) + data
open(sys.argv[1], "wb").write(b"RIFF" + struct.pack("<I", len(body)) + body)
PY
ff -i "$tmp/extremes.wav" -c:a flac -sample_fmt s32 "$out/flac-mono-24bit-8000-full-scale.flac"

# ffmpeg's decodes of the new files, which the tests compare our decoders with.
node --import tsx scripts/make-ffmpeg-goldens.ts

du -ch "$out"/* | tail -1
