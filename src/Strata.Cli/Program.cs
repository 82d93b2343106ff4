using Strata.Cli;

return await StrataApp.RunAsync(args).ConfigureAwait(false);
