import { ContractSuite, InMemory } from "@payport/testkit"

ContractSuite.contractSuite("in-memory provider", InMemory.layer(), InMemory.fixtures)

// A provider that allows a single capture per hold is held to the other branch of the rules.
ContractSuite.contractSuite("in-memory provider, single capture", InMemory.layer({ multipleCaptures: false }), {
  ...InMemory.fixtures,
  multipleCaptures: false
})
