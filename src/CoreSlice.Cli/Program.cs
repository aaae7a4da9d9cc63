using System.CommandLine;
using System.CommandLine.Help;
using CoreSlice.Cli.Commands;

namespace CoreSlice.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        Command root = Root();
        ParseResult parse = root.Parse(args);
        // A mistake on the command line is one line and a hint on stderr, exit 2: never the whole help.
        return parse.Errors.Count > 0 ? ParseErrors.Report(parse) : parse.Invoke();
    }

    /// <summary>The command tree. The root is called "coreslice" whatever the executable's file name.</summary>
    internal static Command Root()
    {
        var root = new Command("coreslice", "The trusted core of a core-sliced machine, its simulator, and its proofs")
        {
            new HelpOption(),
            new VersionOption(),
            VerifyCommand.Create(),
            CheckCommand.Create(),
            SimulateCommand.Create(),
            AttestCommand.Create(),
            LogCommand.Create(),
            ConformCommand.Create(),
            ModelCheckCommand.Create(),
            PmpCommand.Create(),
        };
        root.Subcommands.Add(HelpCommand(root));
        root.SetAction(_ =>
        {
            Console.Error.WriteLine("coreslice: no command given");
            Console.Error.WriteLine("hint: 'coreslice help' lists the commands; start with 'coreslice verify'");
            return ExitCode.Unusable;
        });
        return root;
    }

    /// <summary><c>coreslice help [COMMAND...]</c>: the same text as <c>--help</c>.</summary>
    private static Command HelpCommand(Command root)
    {
        var path = new Argument<string[]>("COMMAND") { Description = "The command to describe (none: list the commands)", Arity = ArgumentArity.ZeroOrMore };
        var help = new Command("help", "Show the commands, or one command's options") { path };
        help.SetAction(result =>
        {
            string[] words = result.GetValue(path) ?? [];
            ParseResult target = root.Parse([.. words, "--help"]);
            if (target.Errors.Count > 0)
            {
                Console.Error.WriteLine($"coreslice help: no command '{string.Join(' ', words)}'");
                Console.Error.WriteLine("hint: 'coreslice help' lists the commands");
                return ExitCode.Unusable;
            }
            return target.Invoke();
        });
        return help;
    }
}
