# The node image used by docker-compose.cluster.yml.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
# A runtime identifier makes the publish ahead-of-time compiled (ReadyToRun): faster start and first import.
ARG RID=linux-x64
RUN dotnet publish src/Node -c Release -r $RID --self-contained false -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# curl serves the compose health check.
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /var/lib/kuiper
COPY --from=build /app /app
ENV Kuiper__DataDir=/var/lib/kuiper
EXPOSE 9081 4053
ENTRYPOINT ["dotnet", "/app/Kuiper.Node.dll"]
