import AndonCore
import Testing
@testable import AndonConsole

/// The shell's small parts that need no terminal: inbox, wake-up pipe, key decoding, screenshot.
@Suite struct ShellPartsTests {
    @Test func theInboxKeepsOnlyTheLatestSnapshot() {
        let inbox = ConsoleInbox(eventLimit: 3)
        var first = Fixtures.smallPlant()
        first.time = 1
        var second = first
        second.time = 2
        inbox.put(first)
        inbox.put(second)
        for event in Fixtures.events() { inbox.put(event) }
        inbox.put(.accepted("ok"), for: .reloadPolicy)
        let contents = inbox.take()
        #expect(contents.snapshot?.time == 2)
        #expect(contents.events.map(\.sequence) == [4, 5, 6], "bounded: the oldest go")
        #expect(contents.results.count == 1)
        #expect(inbox.take().snapshot == nil)
    }

    @Test func theWakePipeWakesAndDrains() throws {
        let pipe = try WakePipe()
        pipe.wake()
        pipe.wake(15)
        #expect(pipe.drain() == [WakePipe.inbox, 15])
        #expect(pipe.drain().isEmpty)
    }

    @Test func keyDecoding() {
        #expect(CursesScreen.key(character: 9) == .tab)
        #expect(CursesScreen.key(character: 13) == .enter)
        #expect(CursesScreen.key(character: 27) == .escape)
        #expect(CursesScreen.key(character: 127) == .backspace)
        #expect(CursesScreen.key(character: 0x79) == .character("y"))
        #expect(CursesScreen.key(character: 0x7D44) == .character("組"))
        #expect(CursesScreen.key(character: 1) == nil)
    }

    @Test func screenshotWithEvents() {
        let text = Screenshot.render(snapshot: Fixtures.smallPlant(), events: Fixtures.events(), size: TerminalSize(columns: 120, rows: 40),
                                     person: Fixtures.supervisor, isASCII: true)
        #expect(text.contains("policy demo-3 loaded"))
        #expect(TerminalSize(parsing: "120x40") == TerminalSize(columns: 120, rows: 40))
        #expect(TerminalSize(parsing: "120") == nil)
    }
}
