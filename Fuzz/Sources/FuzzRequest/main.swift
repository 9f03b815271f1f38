import AndonHostileInput

/// libFuzzer's entry: one input through the request door; a broken rule stops the run with its reason.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRequest(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    if let violation = HostileInput.violation(at: .request, UnsafeRawBufferPointer(start: start, count: count)) {
        fatalError(violation)
    }
    return 0
}
