import AndonHostileInput

/// libFuzzer's entry: one input through the policy door; a broken rule stops the run with its reason.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPolicy(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    if let violation = HostileInput.violation(at: .policy, UnsafeRawBufferPointer(start: start, count: count)) {
        fatalError(violation)
    }
    return 0
}
