namespace Strata.Analysis.Interactive;

/// <summary>A key press as the explorer reads it (the terminal maps <see cref="ConsoleKeyInfo"/> to it).</summary>
public readonly record struct ExplorerKey(ConsoleKey Key, char KeyChar = '\0', bool Control = false)
{
    public static ExplorerKey From(ConsoleKeyInfo info) => new(info.Key, info.KeyChar, (info.Modifiers & ConsoleModifiers.Control) != 0);

    public static ExplorerKey Of(char c) => new(ConsoleKey.NoName, c);

    public bool IsCtrlC => (Control && Key == ConsoleKey.C) || KeyChar == '\u0003';
}
