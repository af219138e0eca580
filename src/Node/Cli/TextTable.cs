using Spectre.Console;
using Spectre.Console.Rendering;

namespace Kuiper.Node.Cli;

/// <summary>
/// A plain aligned table drawn by Spectre.Console: a header row, columns two spaces apart, each as wide as its widest
/// cell, numbers right-aligned, no borders, colours or trailing spaces, never wrapped (scripts read these lines).
/// </summary>
public sealed class TextTable(params string[] headers)
{
    /// <summary>Wide enough that no cell is ever wrapped or cut.</summary>
    private const int Width = 1 << 16;

    private readonly List<string[]> _rows = [];
    private readonly HashSet<int> _rightAligned = [];

    public TextTable AlignRight(params int[] columns)
    {
        _rightAligned.UnionWith(columns);
        return this;
    }

    public TextTable Add(params string[] cells)
    {
        if (cells.Length != headers.Length)
            throw new ArgumentException($"a row needs {headers.Length} cells, not {cells.Length}", nameof(cells));
        _rows.Add(cells);
        return this;
    }

    public override string ToString()
    {
        var table = new Table().NoBorder();
        for (var i = 0; i < headers.Length; i++)
        {
            var column = new TableColumn(new Text(headers[i])).NoWrap().Padding(0, 0, i < headers.Length - 1 ? 2 : 0, 0);
            table.AddColumn(_rightAligned.Contains(i) ? column.RightAligned() : column);
        }
        foreach (var row in _rows) table.AddRow(row.Select(cell => (IRenderable)new Text(cell)));

        using var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(text),
        });
        console.Profile.Width = Width;
        console.Write(table);
        var lines = text.ToString().ReplaceLineEndings("\n").Split('\n').Select(line => line.TrimEnd()).ToList();
        while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        return string.Concat(lines.Select(line => line + "\n"));
    }
}
