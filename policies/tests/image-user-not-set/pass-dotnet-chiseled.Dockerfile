FROM mcr.microsoft.com/dotnet/sdk:9.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish -c Release -o /out
FROM mcr.microsoft.com/dotnet/aspnet:9.0-noble-chiseled
COPY --from=build /out /app
ENTRYPOINT ["dotnet", "/app/App.dll"]
