import { describe, expect, it } from "vitest";
import { memoryContext } from "../src/analysis/context.js";
import { deploymentVariables } from "../src/analysis/deployment-env.js";

describe("deploymentVariables", () => {
  it("reads .env files and their examples, quotes and export removed", () => {
    const context = memoryContext({
      ".env.example": "# settings\nexport CONFIG_PATH='./config/local.yaml'\nPORT=8080 # the listener\n",
      "deploy/.env": "IGNORED=1\n",
    });
    expect(deploymentVariables(context)).toEqual([
      { file: ".env.example", name: "CONFIG_PATH", value: "./config/local.yaml" },
      { file: ".env.example", name: "PORT", value: "8080" },
    ]);
  });

  it("reads the literal values a workflow appends to a .env, not secrets or other echoes", () => {
    const context = memoryContext({
      ".github/workflows/deploy.yaml": "run: |\n  echo CONFIG_PATH=./config/prod.yaml >> .env\n  echo VERSION=1 >> $GITHUB_ENV\n  echo \"TOKEN=${{ secrets.T }}\" > .env\n",
    });
    expect(deploymentVariables(context).map((v) => `${v.name}=${v.value}`)).toEqual(["CONFIG_PATH=./config/prod.yaml"]);
  });
});
