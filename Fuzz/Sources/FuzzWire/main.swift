import AndonHostileInput

/// libFuzzer's entry: one input through the wire door; a broken rule stops the run with its reason.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWire(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    if let violation = HostileInput.violation(at: .wire, UnsafeRawBufferPointer(start: start, count: count)) {
        fatalError(violation)
    }
    return 0
}
