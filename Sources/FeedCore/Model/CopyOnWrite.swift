/// A value kept on the heap and shared by copies until one of them writes, which then copies it first (as Array
/// does with its buffer): the one place that checks `isKnownUniquelyReferenced` for the structs that hold one.
///
/// It keeps large structs small where there are many of them: a Dictionary slot (and there are up to 2.6 slots per
/// entry) holds a pointer instead of the whole value, and the copies of a feed's configuration in the config, the
/// daemon and the schedule share one.
struct CopyOnWrite<Value> {
    private final class Box {
        var value: Value
        init(_ value: Value) { self.value = value }
    }

    private var box: Box

    init(_ value: Value) {
        box = Box(value)
    }

    var value: Value { box.value }

    /// One field of the value; writing it copies the value first when another copy shares it.
    subscript<Field>(field: WritableKeyPath<Value, Field>) -> Field {
        get { box.value[keyPath: field] }
        set {
            if !isKnownUniquelyReferenced(&box) { box = Box(box.value) }
            box.value[keyPath: field] = newValue
        }
    }

    subscript<Field>(field: KeyPath<Value, Field>) -> Field { box.value[keyPath: field] }
}

extension CopyOnWrite: Equatable where Value: Equatable {
    /// Copies that still share their value are equal without comparing it.
    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.box === rhs.box || lhs.box.value == rhs.box.value
    }
}

// The box is written only by a holder that owns it alone (see above), so a shared one is never written.
extension CopyOnWrite: @unchecked Sendable where Value: Sendable {}
