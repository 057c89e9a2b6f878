import { crc32, deflateRawSync } from 'node:zlib';

/** One file of a zip archive. */
export interface ZipEntry {
  /** ASCII path inside the archive, `/`-separated. */
  name: string;
  bytes: Uint8Array;
  /** Store instead of deflate (PNG and JPEG are compressed already). */
  store?: boolean;
}

/** DOS date and time of `date` in UTC; zip has no time zone, and UTC keeps the bytes machine-independent. */
function dosDateTime(date: Date): { date: number; time: number } {
  const year = Math.min(2107, Math.max(1980, date.getUTCFullYear()));
  if (date.getUTCFullYear() < 1980) return { date: (0 << 9) | (1 << 5) | 1, time: 0 };
  return {
    date: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2),
  };
}

/**
 * Pure: a zip archive of `entries` in the given order, every entry dated `date`. No extra fields,
 * no random data, deflate at a fixed level: equal inputs give equal bytes.
 */
export function zip(entries: readonly ZipEntry[], date: Date): Uint8Array {
  const { date: dosDate, time: dosTime } = dosDateTime(date);
  const local: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    if (!/^[\x20-\x7e]+$/.test(entry.name)) throw new Error(`zip entry name must be printable ASCII: ${entry.name}`);
    const name = Buffer.from(entry.name, 'ascii');
    const data = entry.store ? Buffer.from(entry.bytes) : deflateRawSync(entry.bytes, { level: 6 });
    const method = entry.store ? 0 : 8;
    const crc = crc32(entry.bytes);
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(0, 6);
    header.writeUInt16LE(method, 8);
    header.writeUInt16LE(dosTime, 10);
    header.writeUInt16LE(dosDate, 12);
    header.writeUInt32LE(crc, 14);
    header.writeUInt32LE(data.byteLength, 18);
    header.writeUInt32LE(entry.bytes.byteLength, 22);
    header.writeUInt16LE(name.byteLength, 26);
    header.writeUInt16LE(0, 28);
    local.push(header, name, data);
    const record = Buffer.alloc(46);
    record.writeUInt32LE(0x02014b50, 0);
    record.writeUInt16LE(20, 4);
    record.writeUInt16LE(20, 6);
    record.writeUInt16LE(0, 8);
    record.writeUInt16LE(method, 10);
    record.writeUInt16LE(dosTime, 12);
    record.writeUInt16LE(dosDate, 14);
    record.writeUInt32LE(crc, 16);
    record.writeUInt32LE(data.byteLength, 20);
    record.writeUInt32LE(entry.bytes.byteLength, 24);
    record.writeUInt16LE(name.byteLength, 28);
    record.writeUInt32LE(offset, 42);
    central.push(record, name);
    offset += header.byteLength + name.byteLength + data.byteLength;
  }
  const centralSize = central.reduce((n, b) => n + b.byteLength, 0);
  if (offset > 0xffffffff || entries.length > 0xffff) throw new Error('zip archive too large (no zip64)');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  const out = Buffer.concat([...local, ...central, end]);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
