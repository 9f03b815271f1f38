extension Array {
    /// True when both arrays use one storage buffer, and so hold the same elements: how what was worked out from a
    /// snapshot's array is known to still hold for the next snapshot that shares it.
    @inlinable
    public func sharesStorage(with other: [Element]) -> Bool {
        withUnsafeBufferPointer { mine in
            other.withUnsafeBufferPointer { theirs in mine.baseAddress == theirs.baseAddress && mine.count == theirs.count }
        }
    }
}
