// Program.cs calls app.MapClusterInspection() beside app.MapDataImportExport() without a using of its own.
global using Kuiper.Node.Inspection;
