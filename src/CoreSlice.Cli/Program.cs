using System.CommandLine;
using CoreSlice.Cli.Commands;

namespace CoreSlice.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        var root = new RootCommand("coreslice: the trusted core of a core-sliced machine, its simulator, and its proofs");
        root.Subcommands.Add(VerifyCommand.Create());
        root.Subcommands.Add(CheckCommand.Create());
        root.Subcommands.Add(SimulateCommand.Create());
        root.Subcommands.Add(AttestCommand.Create());
        root.Subcommands.Add(LogCommand.Create());
        root.Subcommands.Add(ConformCommand.Create());
        root.Subcommands.Add(ModelCheckCommand.Create());
        root.Subcommands.Add(PmpCommand.Create());
        return root.Parse(args).Invoke();
    }
}
