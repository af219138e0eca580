using System.Runtime.CompilerServices;

// Lets Kuiper.Tests exercise the Go text helpers behind the DDL parser directly.
[assembly: InternalsVisibleTo("Kuiper.Tests")]
