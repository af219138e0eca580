using System.Data.Common;
using System.Text;
using System.Text.Json;
using Kuiper.Tests.Harness;
using Microsoft.Data.Sqlite;

namespace Kuiper.Tests.Secrets;

/// <summary>
/// A bundle full of secrets, and a search of everything a node stored for any of them, in every encoding a
/// serializer or a database might give it.
/// </summary>
public static class StoredSecretsScan
{
    /// <summary>Each secret once, where users put them: configs, connections, rule actions, a URL inside a stream's DDL.</summary>
    public static readonly string[] Secrets =
    [
        TestSecrets.SourcePassword, TestSecrets.SinkToken, TestSecrets.SqlUrlPassword, TestSecrets.ConnectionUrlPassword,
        TestSecrets.ConnectionPassword, TestSecrets.ActionPassword, TestSecrets.ActionApiKey, TestSecrets.StreamUrlPassword,
    ];

    /// <param name="sourcePassword">the source config's password (a test that imports again and again changes it)</param>
    public static string Bundle(string sourcePassword = TestSecrets.SourcePassword) => JsonSerializer.Serialize(new Dictionary<string, Dictionary<string, string>>
    {
        ["streams"] = new()
        {
            ["demo"] = "CREATE STREAM demo () WITH (DATASOURCE=\"users\", FORMAT=\"JSON\")",
            ["feed"] = $"CREATE STREAM feed () WITH (DATASOURCE=\"tcp://reader:{TestSecrets.StreamUrlPassword}@10.0.0.9:1883/feed\", FORMAT=\"JSON\")",
        },
        ["rules"] = new()
        {
            ["r1"] = $$$"""{"id":"r1","sql":"SELECT * FROM demo","actions":[{"mqtt":{"server":"tcp://b:1883","topic":"t","password":"{{{TestSecrets.ActionPassword}}}"}},{"rest":{"url":"http://api.example","api_key":"{{{TestSecrets.ActionApiKey}}}"}}]}""",
        },
        ["sourceConfig"] = new() { ["mqtt"] = """{"plant":{"server":"tcp://broker:1883","username":"u","password":"SOURCE_PASSWORD"}}""".Replace("SOURCE_PASSWORD", sourcePassword) },
        ["sinkConfig"] = new()
        {
            ["influx2"] = $$$"""{"cloud":{"addr":"http://influx:8086","token":"{{{TestSecrets.SinkToken}}}"}}""",
            ["sql"] = $$$"""{"db":{"url":"postgres://app:{{{TestSecrets.SqlUrlPassword}}}@db:5432/plant"}}""",
        },
        ["connectionConfig"] = new() { ["mqtt"] = $$$"""{"conn1":{"server":"tcp://u:{{{TestSecrets.ConnectionUrlPassword}}}@broker:1883","password":"{{{TestSecrets.ConnectionPassword}}}"}}""" },
    });

    /// <summary>Each secret's forms: UTF-8, UTF-16 both ways, hex, and base64 at each of the three alignments.</summary>
    public static IEnumerable<(string Secret, string Form, byte[] Bytes)> Encodings(string secret)
    {
        var utf8 = Encoding.UTF8.GetBytes(secret);
        yield return (secret, "utf-8", utf8);
        yield return (secret, "utf-16le", Encoding.Unicode.GetBytes(secret));
        yield return (secret, "utf-16be", Encoding.BigEndianUnicode.GetBytes(secret));
        yield return (secret, "hex", Encoding.ASCII.GetBytes(Convert.ToHexString(utf8).ToLowerInvariant()));
        for (var shift = 0; shift < 3; shift++)
        {
            // base64 of the secret behind 0, 1 or 2 other bytes: the characters that depend on the secret alone.
            var b64 = Convert.ToBase64String([.. new byte[shift], .. utf8]);
            var start = shift == 0 ? 0 : shift == 1 ? 2 : 3;
            var end = b64.TrimEnd('=').Length - 1;
            yield return (secret, $"base64+{shift}", Encoding.ASCII.GetBytes(b64[start..end]));
        }
    }

    /// <summary>Every finding as "where: secret (form)"; empty when nothing holds a secret.</summary>
    public static IReadOnlyList<string> Find(IEnumerable<(string Where, byte[] Bytes)> places, IEnumerable<string>? secrets = null)
    {
        var found = new List<string>();
        var all = (secrets ?? Secrets).ToList();
        foreach (var (where, bytes) in places)
            foreach (var secret in all)
                foreach (var (_, form, needle) in Encodings(secret))
                    if (bytes.AsSpan().IndexOf(needle) >= 0) found.Add($"{where}: {secret} ({form})");
        return found;
    }

    /// <summary>Every file of a node's data folder (the SQLite database, its WAL, anything written beside it).</summary>
    public static IEnumerable<(string, byte[])> Files(string dataDir) =>
        Directory.EnumerateFiles(dataDir, "*", SearchOption.AllDirectories)
            .Select(path => (Path.GetRelativePath(dataDir, path), File.ReadAllBytes(path)));

    /// <summary>Every value of every table of a SQLite database.</summary>
    public static IReadOnlyList<(string, byte[])> SqliteRows(string dataDir)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDir, "kuiper.db")};Mode=ReadOnly");
        connection.Open();
        return AllRows(connection, "SELECT name FROM sqlite_master WHERE type = 'table'");
    }

    /// <summary>Every value of every table of the public schema of a PostgreSQL database.</summary>
    public static IReadOnlyList<(string, byte[])> PostgresRows(string connectionString)
    {
        using var connection = new Npgsql.NpgsqlConnection(connectionString);
        connection.Open();
        return AllRows(connection, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
    }

    private static List<(string, byte[])> AllRows(DbConnection connection, string listTables)
    {
        var tables = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = listTables;
            using var reader = command.ExecuteReader();
            while (reader.Read()) tables.Add(reader.GetString(0));
        }
        return tables.SelectMany(table => Rows(connection, table, $"SELECT * FROM \"{table}\"")).ToList();
    }

    /// <summary>How many rows of <paramref name="table"/> match <paramref name="where"/>.</summary>
    public static long Count(DbConnection connection, string table, string where)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table} WHERE {where}";
        return Convert.ToInt64(command.ExecuteScalar());
    }

    private static List<(string, byte[])> Rows(DbConnection connection, string table, string sql)
    {
        var values = new List<(string, byte[])>();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var row = 0;
        while (reader.Read())
        {
            row++;
            for (var i = 0; i < reader.FieldCount; i++)
            {
                if (reader.IsDBNull(i)) continue;
                var value = reader.GetValue(i);
                values.Add(($"{table} row {row} {reader.GetName(i)}",
                    value as byte[] ?? Encoding.UTF8.GetBytes(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "")));
            }
        }
        return values;
    }
}
