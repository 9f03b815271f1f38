import AndonStore
import PostgresNIO

/// Creates and migrates the shared schema (under a lock, so runtimes starting together migrate once) and moves a
/// runtime's session into the runtimes' role.
enum SharedMigrator {
    /// Brings the schema to ``SharedSchema/version``; refuses a schema a newer version wrote, and a database whose text
    /// is not UTF-8 (the chain's hashes are over UTF-8 bytes).
    static func migrate(_ connection: StoreConnection) throws {
        let schema = connection.address.schema
        let quoted = SharedSchema.quote(schema)
        let encoding = try connection.query("SHOW server_encoding").first?.decode(String.self)
        guard encoding == "UTF8" else {
            throw AuditStoreError.notAnAuditStore(connection.address.description, detail: "the database's encoding is \(encoding ?? "unknown"), not UTF8")
        }
        if try currentVersion(connection) == SharedSchema.version {
            try useSchema(connection)
            return
        }
        try connection.execute("BEGIN")
        do {
            try connection.query("SELECT pg_advisory_xact_lock(hashtextextended('andon-migrate:' || \(schema), 0))")
            try connection.execute("CREATE SCHEMA IF NOT EXISTS \(quoted)")
            try useSchema(connection)
            try connection.execute("""
                CREATE TABLE IF NOT EXISTS andon_schema_version (
                    version integer PRIMARY KEY,
                    description text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """)
            let version = try currentVersion(connection) ?? 0
            guard version <= SharedSchema.version else {
                throw AuditStoreError.unreadable(connection.address.description,
                                                 detail: "its schema is version \(version), newer than this version of Andon reads (\(SharedSchema.version))")
            }
            for migration in SharedSchema.migrations where migration.version > version {
                try connection.execute(migration.sql)
                try connection.query("INSERT INTO andon_schema_version (version, description) VALUES (\(migration.version), \(migration.description))")
            }
            try connection.execute("""
                DO $$ BEGIN
                    -- A login without CREATEROLE works with a role plant IT made beforehand.
                    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '\(SharedSchema.runtimeRole)') THEN
                        CREATE ROLE \(SharedSchema.runtimeRole) NOLOGIN;
                    END IF;
                EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
                END $$
                """)
            try connection.execute(SharedSchema.grants(schema: schema))
            try connection.execute("COMMIT")
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }

    /// The schema's version, or nil when it has no version table.
    static func currentVersion(_ connection: StoreConnection) throws -> Int? {
        let table = "\(SharedSchema.quote(connection.address.schema)).andon_schema_version"
        let exists = try connection.query("SELECT to_regclass(\(table)) IS NOT NULL").first?.decode(Bool.self) ?? false
        guard exists else { return nil }
        return try connection.query(PostgresQuery(unsafeSQL: "SELECT max(version) FROM \(table)")).first?.decode(Int?.self) ?? nil
    }

    /// Sets the session's search path to the schema.
    static func useSchema(_ connection: StoreConnection) throws {
        try connection.execute("SET search_path TO \(SharedSchema.quote(connection.address.schema))")
    }

    /// Takes the runtimes' role (read and insert only) when the user may; a user who is not a member keeps its own
    /// privileges, which plant IT then grants as narrowly.
    static func takeRuntimeRole(_ connection: StoreConnection) throws {
        let member = try connection.query("""
            SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = \(SharedSchema.runtimeRole))
               AND pg_has_role(current_user, \(SharedSchema.runtimeRole), 'MEMBER')
            """).first?.decode(Bool.self) ?? false
        if member { try connection.execute("SET ROLE \(SharedSchema.runtimeRole)") }
    }

    /// Throws unless the schema is there at this version (a reader never creates anything).
    static func checkReadable(_ connection: StoreConnection) throws {
        guard let version = try currentVersion(connection) else {
            throw AuditStoreError.missing(connection.address.description)
        }
        guard version <= SharedSchema.version else {
            throw AuditStoreError.unreadable(connection.address.description,
                                             detail: "its schema is version \(version), newer than this version of Andon reads (\(SharedSchema.version))")
        }
        try useSchema(connection)
    }
}
