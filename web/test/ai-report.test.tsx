import { describe, expect, it } from "vitest";
import { ratedHelpful } from "../src/console/ai-report";

describe("the AI report's rated answers", () => {
  it("reads how many answers visitors found helpful, of those rated", () => {
    expect(ratedHelpful({ rated_helpful: 3, rated_not_helpful: 1, share_helpful: 0.75 })).toBe("3 of 4 (75%)");
    expect(ratedHelpful({ rated_helpful: 0, rated_not_helpful: 2, share_helpful: 0 })).toBe("0 of 2 (0%)");
    expect(ratedHelpful({ rated_helpful: 0, rated_not_helpful: 0, share_helpful: null })).toBe("none rated");
    expect(ratedHelpful({})).toBe("none rated"); // an API from before ratings
  });
});
