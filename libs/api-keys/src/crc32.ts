/** The CRC-32 (IEEE 802.3, reflected 0xEDB88320) table: one entry per byte value. */
const TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let value = byte;
    for (let bit = 0; bit < 8; bit++) value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1;
    table[byte] = value;
  }
  return table;
})();

/**
 * CRC-32 of the first `end` characters of an ASCII string, read as their byte values: the same
 * number as `zlib.crc32(text.slice(0, end))` for ASCII, without the slice, the UTF-8 encoding and
 * the native call, which cost more than the checksum of a 51-character key. Callers check that
 * every character is ASCII first.
 */
export function crc32Ascii(text: string, end = text.length): number {
  let crc = 0xffffffff;
  for (let index = 0; index < end; index++) crc = TABLE[(crc ^ text.charCodeAt(index)) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
