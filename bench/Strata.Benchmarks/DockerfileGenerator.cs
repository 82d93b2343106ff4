using System.Globalization;
using System.Text;

namespace Strata.Benchmarks;

/// <summary>
/// A large, realistic Dockerfile: several stages, ARG/ENV chains that expand, multi-line RUNs with
/// continuations, mounts, heredocs, COPY --from and the metadata instructions.
/// </summary>
public static class DockerfileGenerator
{
    public static string Generate(int targetLines)
    {
        var sb = new StringBuilder();
        int lines = 0;
        void Line(string s)
        {
            sb.Append(s).Append('\n');
            lines++;
        }
        Line("# syntax=docker/dockerfile:1");
        Line("ARG BASE=debian");
        Line("ARG TAG=bookworm-slim");
        int stage = 0;
        while (lines < targetLines)
        {
            var name = "stage" + stage.ToString(CultureInfo.InvariantCulture);
            Line($"FROM --platform=$BUILDPLATFORM ${{BASE}}:${{TAG}} AS {name}");
            Line("ARG TARGETARCH VERSION=1.2.3");
            Line($"ENV APP_HOME=/opt/{name} PATH=/opt/{name}/bin:$PATH VERSION=${{VERSION}}");
            Line("WORKDIR ${APP_HOME}");
            for (int i = 0; i < 10 && lines < targetLines; i++)
            {
                Line("LABEL org.example.step=\"" + i.ToString(CultureInfo.InvariantCulture) + "\" org.example.version=\"${VERSION%.*}\" arch=$TARGETARCH");
                Line("RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\");
                Line("    apt-get update && \\");
                Line("    apt-get install -y --no-install-recommends curl ca-certificates && \\");
                Line("    rm -rf /var/lib/apt/lists/*");
                Line("COPY --chown=1000:1000 --chmod=0644 src/ lib/ ${APP_HOME}/");
                Line("RUN <<EOF");
                Line("echo building ${VERSION}");
                Line("EOF");
                Line("EXPOSE 8080 ${VERSION/./-}/tcp");
            }
            if (stage > 0) Line($"COPY --from=stage{(stage - 1).ToString(CultureInfo.InvariantCulture)} /opt /opt");
            Line("USER 1000:1000");
            Line("HEALTHCHECK --interval=30s --timeout=3s CMD [\"curl\", \"-f\", \"http://localhost/\"]");
            Line("CMD [\"/opt/app/bin/server\"]");
            stage++;
        }
        return sb.ToString();
    }
}
