import { assert, describe, it } from "@effect/vitest"
import type { Cryptograms } from "@payport/core/Cryptograms"
import type { OtpAuthentication } from "@payport/core/OtpAuthentication"
import type { CommonPorts } from "@payport/core/Provider"
import type { VaultEnrollment } from "@payport/core/VaultEnrollment"
import type { ContractSuite, InMemory } from "@payport/testkit"

type Equals<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false

// Compile-time facts: a layer of only the common ports cannot be handed fixtures for the optional
// groups (their fields accept nothing), and a layer with the ports can.
const commonOnlyRejectsEnrollment: Equals<ContractSuite.Fixtures<CommonPorts>["vaultEnrollment"], undefined> = true
const commonOnlyRejectsCryptograms: Equals<ContractSuite.Fixtures<CommonPorts>["cryptograms"], undefined> = true
const commonOnlyRejectsOtp: Equals<ContractSuite.Fixtures<CommonPorts>["otp"], undefined> = true
const fullAcceptsEnrollment: Equals<
  ContractSuite.Fixtures<InMemory.Ports>["vaultEnrollment"],
  ContractSuite.EnrollmentFixtures | undefined
> = true
const enrollmentOnly: Equals<ContractSuite.Fixtures<CommonPorts | VaultEnrollment>["cryptograms"], undefined> = true
const withOtp: Equals<
  ContractSuite.Fixtures<CommonPorts | OtpAuthentication | Cryptograms>["otp"],
  ContractSuite.OtpFixtures | undefined
> = true

describe("contract suite capability types", () => {
  it("optional groups type-check only when the layer provides their port", () => {
    assert.deepStrictEqual(
      [
        commonOnlyRejectsEnrollment,
        commonOnlyRejectsCryptograms,
        commonOnlyRejectsOtp,
        fullAcceptsEnrollment,
        enrollmentOnly,
        withOtp
      ],
      [true, true, true, true, true, true]
    )
  })
})
