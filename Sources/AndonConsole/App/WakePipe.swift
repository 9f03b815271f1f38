import Glibc

/// The write end of the wake-up pipe, for signal handlers (which can't capture context).
nonisolated(unsafe) private var signalWakeFD: Int32 = -1

/// A self-pipe: other threads and signal handlers write a byte to wake the UI thread out of `poll`.
final class WakePipe: Sendable {
    /// Byte meaning "look in the inbox".
    static let inbox: UInt8 = 0
    /// Read end, polled by the UI thread.
    let readFD: Int32
    /// Write end.
    let writeFD: Int32

    /// Opens a non-blocking pipe.
    init() throws {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw ConsoleError(description: "could not create the wake-up pipe (errno \(errno))") }
        readFD = fds[0]
        writeFD = fds[1]
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
    }

    deinit {
        close(readFD)
        close(writeFD)
    }

    /// Wakes the UI thread; a full pipe already means it will wake.
    func wake(_ byte: UInt8 = WakePipe.inbox) {
        var value = byte
        _ = write(writeFD, &value, 1)
    }

    /// Reads everything written so far.
    func drain() -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            let count = read(readFD, &buffer, buffer.count)
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        return bytes
    }

    /// Waits until the pipe or the keyboard (`keyboard`, a descriptor of the terminal) is readable, or `timeoutMilliseconds`
    /// pass (-1 waits for ever).
    ///
    /// Returns true when the terminal has gone away (hung up or closed), which would otherwise wake every wait at once.
    func wait(timeoutMilliseconds: Int32, keyboard: Int32) -> Bool {
        var fds = [pollfd(fd: keyboard, events: Int16(POLLIN), revents: 0), pollfd(fd: readFD, events: Int16(POLLIN), revents: 0)]
        let result = poll(&fds, 2, timeoutMilliseconds)
        return result > 0 && fds[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
    }

    /// Routes SIGINT, SIGTERM, SIGHUP and SIGWINCH into this pipe (the signal number is the byte); returns a restorer.
    func installSignalHandlers() -> () -> Void {
        signalWakeFD = writeFD
        let signals = [SIGINT, SIGTERM, SIGHUP, SIGWINCH]
        var previous: [(Int32, sigaction)] = []
        for number in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { signal in
                var byte = UInt8(truncatingIfNeeded: signal)
                _ = write(signalWakeFD, &byte, 1)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            var old = sigaction()
            sigaction(number, &action, &old)
            previous.append((number, old))
        }
        return {
            for (number, old) in previous {
                var old = old
                sigaction(number, &old, nil)
            }
            signalWakeFD = -1
        }
    }
}
