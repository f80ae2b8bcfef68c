import Foundation

/// A gzip encoder (RFC 1952) whose deflate stream (RFC 1951) uses stored blocks only: valid gzip that any
/// decoder accepts, without compression and without zlib.
enum StoredGzip {
    /// `data` as a gzip member: header, stored deflate blocks of at most 65,535 bytes, CRC-32 and length.
    static func encode(_ data: Data) -> Data {
        // Magic, deflate, no flags, no mtime, no extra flags, unknown OS.
        var output = Data([0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xFF])
        let bytes = [UInt8](data)
        var offset = 0
        repeat {
            let count = min(65_535, bytes.count - offset)
            let isLast = offset + count == bytes.count
            // BFINAL in bit 0, BTYPE 00 (stored); then LEN and its one's complement NLEN, little-endian.
            output.append(isLast ? 0x01 : 0x00)
            appendLittleEndian(UInt16(count), to: &output)
            appendLittleEndian(~UInt16(count), to: &output)
            output.append(contentsOf: bytes[offset..<offset + count])
            offset += count
        } while offset < bytes.count
        appendLittleEndian(crc32(bytes), to: &output)
        appendLittleEndian(UInt32(truncatingIfNeeded: bytes.count), to: &output)
        return output
    }

    /// CRC-32 as gzip uses it (ISO 3309, reflected polynomial 0xEDB88320).
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        return ~crc
    }

    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    /// Appends `value` in little-endian byte order, as gzip and deflate store numbers.
    private static func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to output: inout Data) {
        withUnsafeBytes(of: value.littleEndian) { output.append(contentsOf: $0) }
    }
}
