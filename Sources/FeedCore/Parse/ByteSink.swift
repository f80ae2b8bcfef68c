/// Where decoded text is written: a growing `[UInt8]`, or a `ByteBuffer` sized for the whole result.
protocol ByteSink {
    mutating func append(_ byte: UInt8)
    mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>)
}

extension Array: ByteSink where Element == UInt8 {}

/// Writes into memory sized in advance for everything that will be written, so that an append is a store and a
/// bounds check rather than the uniqueness and capacity checks of an array; text decoded a reference at a time
/// makes millions of them.
struct ByteBuffer: ByteSink {
    private let storage: UnsafeMutableBufferPointer<UInt8>
    private(set) var count = 0

    init(_ storage: UnsafeMutableBufferPointer<UInt8>) {
        self.storage = storage
    }

    /// The bytes written so far.
    var written: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: storage[..<count])
    }

    mutating func append(_ byte: UInt8) {
        // The callers size the memory for the worst case; this check keeps a mistake there from writing past it.
        precondition(count < storage.count, "ByteBuffer outgrew its memory")
        storage[count] = byte
        count += 1
    }

    mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        precondition(bytes.count <= storage.count - count, "ByteBuffer outgrew its memory")
        (storage.baseAddress! + count).initialize(from: source, count: bytes.count)
        count += bytes.count
    }
}
