/// A value kept on the heap and shared by the copies of the struct that holds it, until one of them writes:
/// the holder checks `isKnownUniquelyReferenced` and copies the box first, as Array does with its buffer.
///
/// It keeps large structs small where there are many of them: a Dictionary slot (and there are up to 2.6 slots per
/// entry) holds a pointer instead of the whole value, and the copies of a feed's configuration in the config, the
/// daemon and the schedule share one.
final class CopyOnWriteBox<Value>: @unchecked Sendable {
    // @unchecked: the value is written only through a box its holder owns alone (see above), and Value is Sendable
    // wherever a box crosses threads.
    var value: Value

    init(_ value: Value) {
        self.value = value
    }
}
