import AndonCore
import AndonTesting
import Testing

/// The plant file's `store:` block: read with the position of each value; a password written in it is refused at its
/// place and never repeated.
struct StoreBlockConfigTests {
    /// The two-cell plant with `block` appended; its first line is `base + 1`.
    private static let base = Fixtures.twoCellPlantYAML().split(separator: "\n", omittingEmptySubsequences: false).count

    private func parse(_ block: String) -> Result<PlantSpec, ConfigErrors> {
        Result { () throws(ConfigErrors) in try PlantSpec.parse(Fixtures.twoCellPlantYAML() + "\n" + block, file: "p.yaml") }
    }

    @Test func aBlockIsReadWithWhereEachValueIs() throws {
        let plant = try parse("""
            store:
              url: postgres://andon@db.plant:5432/andon
              password_file: pgpass
              runtime: body
            """).get()
        let store = try #require(plant.store)
        #expect(store.url == StoreSpec.Setting("postgres://andon@db.plant:5432/andon", at: SourceLocation(file: "p.yaml", line: Self.base + 2, column: 8)))
        #expect(store.passwordFile?.value == "pgpass")
        #expect(store.passwordFile?.location.line == Self.base + 3)
        #expect(store.runtime?.value == "body")
        #expect(try parse("").get().store == nil, "no block, no store")
    }

    @Test func aPasswordKeyIsRefusedAtItsPlaceWithoutRepeatingIt() {
        guard case let .failure(errors) = parse("""
            store:
              url: postgres://andon@db.plant/andon
              password: hunter2
            """) else { Issue.record("a password in the plant file was accepted"); return }
        #expect(errors.errors.count == 1)
        #expect(errors.errors[0].location == SourceLocation(file: "p.yaml", line: Self.base + 3, column: 3))
        #expect(errors.errors[0].message == "a password is never written in the plant file")
        #expect(errors.description.contains("password_file"))
        #expect(!errors.description.contains("hunter2"))
    }

    @Test func aPasswordInTheURLIsRefusedAndEveryOtherBadValueReportedWithIt() {
        guard case let .failure(errors) = parse("""
            store:
              url: postgres://andon:hunter2@db.plant/andon
              runtime: line a!
              password: hunter2
            """) else { Issue.record("a password in the url was accepted"); return }
        let found = errors.errors.map { "\($0.location.line - Self.base):\($0.location.column) \($0.message)" }
        #expect(found == ["2:8 the store url carries a password, and a password is never written in the plant file",
                          "3:12 store runtime 'line a!' is not a stream id", "4:3 a password is never written in the plant file"])
        #expect(!errors.description.contains("hunter2"))
        guard case let .failure(other) = parse("store:\n  url: /var/lib/andon/plant.sqlite") else { Issue.record("a file path was taken as a url"); return }
        #expect(other.errors.map(\.message) == ["store url '/var/lib/andon/plant.sqlite' is not a postgres:// URL"])
    }

    @Test func everyBadShapeIsReportedAtItsPlace() {
        guard case let .failure(errors) = parse("""
            store:
              url: [postgres://andon@db.plant/andon]
              runtime: ""
              host: db.plant
            """) else { Issue.record("a broken block was accepted"); return }
        let found = errors.errors.map { "\($0.location.line - Self.base):\($0.location.column) \($0.kind)" }
        #expect(Set(found) == ["2:8 wrongType", "3:12 wrongType", "4:3 unknownKey"], "\(errors)")
        guard case let .failure(missing) = parse("store:\n  runtime: body") else { Issue.record("a block without a url was accepted"); return }
        #expect(missing.errors.map(\.kind) == [.missingField])
        #expect(missing.errors[0].message.contains("'url'"))
    }
}
