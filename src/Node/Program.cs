using Kuiper.Node;
using Kuiper.Node.Cli;

// `Kuiper.Node cluster ...` is a client of a running node (pbm-style inspection), not a node.
if (ClientVerbs.IsVerb(args)) return await ClientVerbs.RunAsync(args);

var app = NodeApp.Build(args);
await app.RunAsync();
return app.Services.GetRequiredService<NodeExit>().ExitCode();
