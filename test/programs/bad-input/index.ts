// A program with a gateway outside its subnet: preview must exit 2 naming the component, field and value.
import { IsolatedServiceNet } from "../../../components";

new IsolatedServiceNet("billing", { subnet: "10.40.0.0/24", gateway: "10.41.0.1" });
