using Kuiper.Node;
using Kuiper.Node.Cli;

// `Kuiper.Node cluster ...` is a client of a running node (pbm-style inspection), not a node.
if (ClientVerbs.IsVerb(args)) return await ClientVerbs.RunAsync(args);

var app = NodeApp.Build(args);
// Resolved before the run: the container is disposed when RunAsync returns.
var nodeExit = app.Services.GetRequiredService<NodeExit>();
await app.RunAsync();
return nodeExit.ExitCode();
