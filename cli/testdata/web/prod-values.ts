// Values as TypeScript: the default export is the data (typed by the module's own types if wanted).
export default { replicas: 5, image: "nginx:1.28" };
