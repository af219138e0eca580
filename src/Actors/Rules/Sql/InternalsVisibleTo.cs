using System.Runtime.CompilerServices;

// The SQL lexer and Go text helpers are internal; their unit tests live in Kuiper.Tests.
[assembly: InternalsVisibleTo("Kuiper.Tests")]
