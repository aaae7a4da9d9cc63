using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace CoreSlice.Cli;

/// <summary>
/// Turns System.CommandLine's parse errors into one line for people: the command, the
/// first problem in words (no .NET type names), and a hint where to look. Nothing goes
/// to stdout, and the exit code is <see cref="ExitCode.Unusable"/>.
/// </summary>
internal static partial class ParseErrors
{
    public static int Report(ParseResult parse)
    {
        string command = CommandPath(parse.CommandResult);
        string message = Describe(parse.Errors[0].Message);
        Console.Error.WriteLine($"{command}: {message}");
        Console.Error.WriteLine(command == "coreslice"
            ? "hint: 'coreslice help' lists the commands"
            : $"hint: '{command} --help' lists its options");
        return ExitCode.Unusable;
    }

    /// <summary>"coreslice log verify" for the innermost command the parser reached.</summary>
    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is not null; r = r.Parent)
        {
            if (r is CommandResult c)
            {
                names.Insert(0, c.Command.Name);
            }
        }
        return string.Join(' ', names);
    }

    private static string Describe(string message)
    {
        Match cannot = CannotParse().Match(message);
        if (cannot.Success)
        {
            return $"{cannot.Groups["option"].Value} {cannot.Groups["value"].Value}: expected {Kind(cannot.Groups["type"].Value)}";
        }
        Match required = RequiredOption().Match(message);
        if (required.Success)
        {
            return $"the option {required.Groups["option"].Value} is required";
        }
        Match unknown = Unrecognized().Match(message);
        if (unknown.Success)
        {
            return $"unknown command or argument '{unknown.Groups["token"].Value}'";
        }
        if (message.StartsWith("Required command was not provided", StringComparison.Ordinal))
        {
            return "which one? a subcommand is required";
        }
        // Anything else, without type names and on one line.
        return TypeName().Replace(message, m => Kind(m.Groups["type"].Value)).ReplaceLineEndings(" ").TrimEnd('.');
    }

    private static string Kind(string type) => type switch
    {
        "System.Int32" => "a whole number from -2147483648 to 2147483647",
        "System.Int64" => "a whole number",
        "System.UInt64" or "System.Nullable`1[System.UInt64]" => "a whole number from 0 to 18446744073709551615",
        "System.Double" => "a number",
        "System.Boolean" => "true or false",
        "System.IO.FileInfo" => "a file name",
        "System.IO.DirectoryInfo" => "a directory name",
        _ => "a value of another form",
    };

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for (option|argument) '(?<option>[^']*)' as expected type '(?<type>[^']*)'")]
    private static partial Regex CannotParse();

    [GeneratedRegex(@"^Option '(?<option>[^']*)' is required")]
    private static partial Regex RequiredOption();

    [GeneratedRegex(@"^Unrecognized command or argument '(?<token>.*)'")]
    private static partial Regex Unrecognized();

    [GeneratedRegex(@"'(?<type>System\.[\w.`\[\]]+)'")]
    private static partial Regex TypeName();
}
