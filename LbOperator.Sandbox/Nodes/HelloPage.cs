using System.Net;

namespace LbOperator.Sandbox.Nodes;

/// <summary>The page the simulated backend pods serve: the seed's hello-world page, naming the pod that answered.</summary>
public static class HelloPage
{
    public static string Render(string podName, string requestUri) =>
        $"""
        <html>
        <head>
                <title>Hello World!</title>
                <style>
                body {"{"}
                        background-color: white;
                        text-align: center;
                        padding: 50px;
                        font-family: "Open Sans","Helvetica Neue",Helvetica,Arial,sans-serif;
                {"}"}
                </style>
        </head>
        <body>
                <h1>Hello World!</h1>
                <h3>I am on  {WebUtility.HtmlEncode(podName)}</h3>
                <h3> RequestURI='{WebUtility.HtmlEncode(requestUri)}'</h3>
        </body>
        </html>

        """;
}
