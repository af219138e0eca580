using Kuiper.Node;
using Kuiper.Node.Cli;

// `Kuiper.Node cluster ...` is a client of a running node (pbm-style inspection), not a node.
if (ClientVerbs.IsVerb(args)) return await ClientVerbs.RunAsync(args);

var app = NodeApp.Build(args);
// Before the actor system starts: a node lacking a key that stored secrets are sealed with does not start.
Kuiper.Node.Security.SecretsAtStart.Check(app, app.Services.GetRequiredService<Kuiper.Actors.Hosting.KuiperSettings>());
// Resolved before the run: the container is disposed when RunAsync returns.
var nodeExit = app.Services.GetRequiredService<NodeExit>();
await app.RunAsync();
return nodeExit.ExitCode();
