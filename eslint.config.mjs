// Lint rules for the whole project; type-aware rules are left out to keep `npm test` fast on small machines.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { require: "readonly", process: "readonly", console: "readonly" } },
    rules: {
      "@typescript-eslint/no-require-imports": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-syntax": [
        "error",
        { selector: "MemberExpression[object.name='it'][property.name='only']", message: "no focused tests" },
        {
          selector: "MemberExpression[object.name='describe'][property.name='only']",
          message: "no focused tests",
        },
      ],
    },
  },
  {
    files: ["provider/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["**/simulator/**", "**/simulator"], message: "provider/ must not import simulator/" },
          ],
        },
      ],
    },
  },
);
