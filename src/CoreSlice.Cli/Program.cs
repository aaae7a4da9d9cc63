using System.CommandLine;
using CoreSlice.Cli.Commands;

var root = new RootCommand("coreslice: the core-sliced machine's trusted core, its proofs and its tools");
root.Subcommands.Add(VerifyCommand.Create());
return root.Parse(args).Invoke();
